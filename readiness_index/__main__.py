"""Run the command line as ``python -m readiness_index``."""

from readiness_index.cli.run import run

if __name__ == "__main__":
    run()
