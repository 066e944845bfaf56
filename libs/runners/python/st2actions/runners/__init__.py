# Tempest's stand-in for the parts of StackStorm's st2common that Python actions import.
