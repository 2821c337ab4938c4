"""The brand-assets check family: the logo shown, the colours of brand-bearing elements, the fonts."""

from checks.brand.check import BrandCheck

__all__ = ["BrandCheck"]
