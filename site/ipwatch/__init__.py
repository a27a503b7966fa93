"""ipwatch's top layer: the command line, the site builder and the demo.

It only wires the packages ``kb`` (ground floor), ``crawlers`` and ``alerts`` together.
"""
__version__ = "0.1.0"
