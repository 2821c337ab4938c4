"""Capture: drive Chromium (`web`), render emails (`onevoice.email`) and read app screens (`app`) to
record what each touchpoint showed as a `Capture`. Nothing is imported here, so that reading a
journey (which checks app screen files) does not load the browser library."""
