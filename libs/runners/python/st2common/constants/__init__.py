# StackStorm's constants that Python actions import.
