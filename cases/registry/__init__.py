"""The factory registry: registered factories (Department of Industrial Works open data),
their import from CSV, Thai name normalisation, and matching complaints to factories."""
