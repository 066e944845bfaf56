# StackStorm's services that Python actions use, as Tempest provides them.
