"""Files in and out: framework and methodology YAML, data tables, publisher formats
(``loaders``), the data store, COINr's tables, atomic writes.

Only this package touches the file system for reading inputs.
"""
