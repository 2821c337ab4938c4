"""The baseline feature: known findings and facts kept beside each journey.

`store` reads and writes the baseline file and gives findings their identity; `drift` compares
a run's facts with the baseline's; `approve` accepts a report's findings into it; `review`
serves a report with an Accept button on each new finding.
"""
