"""Human names for key identifiers, and a binding's keys after the user's keymap."""

_NAMES = {
    "question_mark": "?", "slash": "/", "space": "space", "escape": "esc", "enter": "enter",
    "backspace": "backspace", "right_square_bracket": "]", "left_square_bracket": "[",
    "pagedown": "pgdn", "pageup": "pgup", "shift+space": "shift+space", "tab": "tab",
    "shift+tab": "shift+tab", "down": "↓", "up": "↑", "left": "←", "right": "→",
    "right_parenthesis": ")", "left_parenthesis": "(", "right_curly_bracket": "}",
    "left_curly_bracket": "{", "dollar_sign": "$", "home": "home", "end": "end",
}


def describe_key(key: str) -> str:
    return _NAMES.get(key, key)


def binding_keys(app, binding) -> str:
    """The keys `binding` answers to in `app`: the user's keymap entry for its id, else its own."""
    return getattr(app, "user_keymap", {}).get(binding.id, binding.key)
