"""What an index is made of: the framework, the methodology and the data contract.

Nothing here reads a file; :mod:`readiness_index.io` turns files into these objects.
"""
