"""Support code for the tests: page servers, settings modules, shared data."""
