from setuptools import setup

# All metadata is in setup.cfg.
setup()
