"""How an indicator's figures read on a page."""

from django import template
from django.utils.html import format_html

from cairn.insight import indicators

register = template.Library()


@register.filter
def on_the_day(name: str) -> str:
    """An indicator's name beside today's figure: "Children in need at 31 March" is counted
    on the day asked for, so the date goes."""
    return name.replace(" at 31 March", "")


@register.filter
def one(counts: str) -> str:
    """What one row of a list is: "child", "referral", "section 47 enquiry"; words the same
    for one and many ("proceedings") are kept."""
    if counts == "children":
        return "child"
    if counts.endswith("proceedings"):
        return counts
    if counts.endswith("ies"):
        return counts[:-3] + "y"
    return counts[:-1] if counts.endswith("s") else counts


@register.filter
def counted(number, ind) -> str:
    """A number with what it counts, one or many: "1 child", "13 children"."""
    if number is None:
        return ""
    return f"{number:,} {one(ind.counts) if number == 1 else ind.counts}"


@register.simple_tag
def figure_text(figure, ind) -> str:
    """A figure in its unit: "83.9%", "385", "212.5 days"; "No figure" when there is none."""
    if figure is None or figure.value is None:
        return "No figure"
    if ind.unit == indicators.PERCENT:
        return f"{figure.value}%"
    if ind.unit == indicators.MEAN_DAYS:
        return f"{figure.value} days"
    return f"{figure.value:,}"


@register.simple_tag
def figure_parts(figure, ind) -> str:
    """What the figure is made of: "323 of 385 children"; "" for a count."""
    if figure is None or figure.denominator is None or ind.unit == indicators.COUNT:
        return ""
    if ind.unit == indicators.MEAN_DAYS:
        return f"{figure.numerator:,} days over {counted(figure.denominator, ind)}"
    return f"{figure.numerator:,} of {counted(figure.denominator, ind)}"


DIRECTIONS = {
    "better": ("Getting better", "govuk-tag--green"),
    "worse": ("Getting worse", "govuk-tag--red"),
    "same": ("No change", "govuk-tag--grey"),
    "up": ("Up", "govuk-tag--blue"),
    "down": ("Down", "govuk-tag--blue"),
}


@register.simple_tag
def direction_tag(headline) -> str:
    """Better or worse than at the end of last month, by whether higher is better."""
    found = DIRECTIONS.get(headline.direction)
    if not found:
        return ""
    change = headline.change
    unit = " points" if headline.indicator.unit == indicators.PERCENT else ""
    # The tag says which way; the words say by how much, once: "Down: 1 since 30 Nov",
    # "Getting better: up 0.4 points since 30 Nov".
    way = "" if headline.direction in ("up", "down", "same") else (
        "up " if change > 0 else "down ")
    return format_html('<strong class="govuk-tag {}">{}</strong> <span class="govuk-body-s">'
                       '{}{}{} since {}</span>', found[1], found[0], way,
                       f"{abs(change):g}", unit, f"{headline.before_on:%-d %b}")
