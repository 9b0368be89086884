"""Human names for key identifiers, shared by the help screen."""

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
