"""Local stand-ins that the tests and the benchmarks in bench/ share: a page server on
127.0.0.1 and scratch PostgreSQL databases. Not part of the product (not packaged);
the benchmarks import it instead of the tests' own support code."""
