"""The social check family: links to the brand's accounts on every touchpoint, and sharing tags."""

from checks.social.check import SocialCheck

__all__ = ["SocialCheck"]
