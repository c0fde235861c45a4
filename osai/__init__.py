"""The ``osai`` command line: a thin layer over the schemas, publish and collectors packages."""
