"""What tests share: databases, the command line, live servers, test data and worlds.

Test modules and conftest files import from here; no test module imports another test module or
a conftest file."""
