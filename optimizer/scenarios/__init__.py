"""Scenario sweeps, break-even prices and the two-stage stochastic design, run locally or on Dask.

A layer above network design (every scenario is a full :func:`optimizer.design.solve.solve`) and below
the reports. :mod:`.factors` says what a factor changes in a network, :mod:`.definition` turns factors
into scenarios (a grid or Latin-hypercube samples), :mod:`.tasks` is the self-contained unit of work a
worker runs, :mod:`.executors` runs tasks in a local process pool or on a Dask cluster, and
:mod:`.sweep` puts the results together (KPI table, site robustness, tornado, break-even prices).
"""
