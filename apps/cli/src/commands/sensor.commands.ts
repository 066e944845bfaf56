import { details, table } from '../format';
import { UsageError } from '../parameters';
import { emit, type CommandContext } from './context';

/** `tempest sensor list|get|enable|disable`, as StackStorm's `st2 sensor`. */
export async function sensorCommand(context: CommandContext, [sub, ref]: string[], options: { pack?: string }): Promise<number> {
  switch (sub) {
    case 'list': {
      const sensors = await context.client.listSensorTypes(options.pack);
      emit(context, sensors, () => table(['ref', 'enabled', 'poll interval', 'trigger types'], sensors.map((s) => [s.ref, String(s.enabled), s.poll_interval === undefined ? '' : `${s.poll_interval}s`, s.trigger_types.join(', ')])));
      return 0;
    }
    case 'get': {
      if (!ref) throw new UsageError('tempest sensor get <ref>');
      const sensor = await context.client.getSensorType(ref);
      emit(context, sensor, () =>
        details([['ref', sensor.ref], ['enabled', sensor.enabled], ['description', sensor.description], ['entry point', sensor.entry_point], ['poll interval', sensor.poll_interval], ['trigger types', sensor.trigger_types]]),
      );
      return 0;
    }
    case 'enable':
    case 'disable': {
      if (!ref) throw new UsageError(`tempest sensor ${sub} <ref>`);
      const sensor = await context.client.setSensorTypeEnabled(ref, sub === 'enable');
      emit(context, sensor, () => `${sensor.ref}: ${sensor.enabled ? 'enabled' : 'disabled'}`);
      return 0;
    }
    default:
      throw new UsageError('tempest sensor list|get|enable|disable');
  }
}
