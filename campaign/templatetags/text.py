"""Filters for plain text next to rich text."""

from django import template

from campaign.richtext import is_repeated_in

register = template.Library()

# The rule lives with the rich text (the calendar uses it too); templates reach it here.
register.filter("is_repeated_in", is_repeated_in)
