"""Run the command line as ``python -m readiness_index``."""

from readiness_index.cli.main import main

if __name__ == "__main__":
    main()
