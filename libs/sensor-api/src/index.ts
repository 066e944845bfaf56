export { DEFAULT_POLL_INTERVAL_SECONDS, PollingSensor, Sensor } from './sensor';
export type { KeyValueOptions, SensorClass, SensorHooks, SensorLogger, SensorService, SensorTrigger, StoredValue } from './sensor';
