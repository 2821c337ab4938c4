"""The messaging check family: declared messages, claims (prices, percentages, codes, dates), forbidden phrases."""

from checks.messaging.check import MessagingCheck

__all__ = ["MessagingCheck"]
