"""Prefect flows and the command line of report-metrics."""

from flows.settings import configure_prefect_environment

configure_prefect_environment()
