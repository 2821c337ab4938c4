"""The baseline feature: known findings and facts kept beside each journey.

`store` reads and writes the baseline file; `drift` compares a run's findings and facts with the
baseline's (a finding's identity and a changed fact are values of `onevoice.findings`, so the
report needs nothing of this package); `approve` accepts a report's findings into it; `review`
serves a report with an Accept button on each new finding. Data flows one way: this package
reads reports, the report never imports it.
"""
