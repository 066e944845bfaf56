"""The classes StackStorm Python sensors subclass (st2reactor.sensor.base), as Tempest provides them.

Tempest's sensor runtime (tempest_python_sensor.py) constructs the sensor with
its sensor_service and the pack's config, calls setup(), add_trigger() for each
trigger a rule asks for, then run() (a Sensor) or poll() every poll interval (a
PollingSensor), and cleanup() when the sensor is stopped.
"""

__all__ = ["BaseSensor", "Sensor", "PollingSensor"]


class BaseSensor:
    def __init__(self, sensor_service, config=None):
        self._sensor_service = sensor_service
        self.sensor_service = sensor_service
        self._config = config or {}
        self.config = self._config

    def setup(self):
        """Called once, before the sensor runs."""

    def run(self):
        raise NotImplementedError("the sensor must implement run()")

    def cleanup(self):
        """Called once, when the sensor is stopped."""

    def add_trigger(self, trigger):
        """A rule asks for `trigger` (a dict: id, ref, name, pack, type, parameters)."""

    def update_trigger(self, trigger):
        """`trigger` changed."""

    def remove_trigger(self, trigger):
        """No rule asks for `trigger` any more."""


class Sensor(BaseSensor):
    """A sensor whose run() watches the outside world until the sensor is stopped."""


class PollingSensor(BaseSensor):
    """A sensor whose poll() runs every poll_interval seconds, the next one starting after the previous one ended."""

    def __init__(self, sensor_service, config=None, poll_interval=5):
        super().__init__(sensor_service=sensor_service, config=config)
        self._poll_interval = poll_interval

    def poll(self):
        raise NotImplementedError("the sensor must implement poll()")

    def get_poll_interval(self):
        return self._poll_interval

    def set_poll_interval(self, poll_interval):
        self._poll_interval = poll_interval
