"""The steps of the method, in the order they run: denominate, impute, screen, treat,
normalise, weights, aggregate.

Each module holds pure functions (the formulas) and the step's registry; the steps never
import each other.
"""
