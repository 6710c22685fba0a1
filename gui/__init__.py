"""Dermamap's Qt views. Importing this package imports no Qt; the modules below do."""
