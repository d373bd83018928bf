"""Fill a layout with one button per reason the presenter offers (the list changes with the state)."""
from kivy.factory import Factory


def show_reasons(box, reasons: tuple[str, ...], on_reason) -> None:
    """Replace the buttons in box with one per reason; a tap hands its text to on_reason."""
    if tuple(child.text for child in reversed(box.children)) == tuple(reasons):
        return  # a re-render must not rebuild (and un-press) the same buttons
    box.clear_widgets()
    for reason in reasons:
        button = Factory.BigButton(text=reason, font_size="18sp", halign="center")
        button.bind(width=lambda b, width: setattr(b, "text_size", (width - 8, None)))  # wrap long reasons
        button.bind(on_release=lambda pressed: on_reason(pressed.text))
        box.add_widget(button)
