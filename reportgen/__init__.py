"""reportgen: score a team's MLOps self-assessment and render an audit report."""

__version__ = "0.1.0"
