"""Conformance-vector families beyond `core`; see generate.py for the module interface."""
