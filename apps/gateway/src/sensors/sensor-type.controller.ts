import { Body, Controller, Get, Param, Patch, Put, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { SensorTypeResponseDto, SensorTypeUpdateDto } from './sensor-type.dto';
import { SensorTypeService } from './sensor-type.service';

@ApiTags('sensors')
@Controller('sensortypes')
export class SensorTypeController {
  constructor(private readonly service: SensorTypeService) {}

  @Get()
  @ApiQuery({ name: 'pack', required: false, description: 'Only the sensors of this pack' })
  @ApiOkResponse({ type: [SensorTypeResponseDto] })
  getSensorTypes(@Query('pack') pack?: string): Promise<SensorTypeResponseDto[]> {
    return this.service.getAll(pack);
  }

  @Get(':ref')
  @ApiOkResponse({ type: SensorTypeResponseDto })
  @ApiNotFoundResponse({ description: 'No sensor with that ref is registered' })
  getSensorType(@Param('ref') ref: string): Promise<SensorTypeResponseDto> {
    return this.service.get(ref);
  }

  @Patch(':ref')
  @ApiOkResponse({ type: SensorTypeResponseDto, description: 'Enabled or disabled; stays so until its metadata changes' })
  @ApiBadRequestResponse({ description: 'The body is not {"enabled": true|false}' })
  @ApiNotFoundResponse({ description: 'No sensor with that ref is registered' })
  updateSensorType(@Param('ref') ref: string, @Body() body: SensorTypeUpdateDto): Promise<SensorTypeResponseDto> {
    return this.service.setEnabled(ref, body.enabled);
  }

  @Put(':ref')
  @ApiBody({ type: SensorTypeUpdateDto, description: "The sensor as GET answers it, `enabled` changed (what `st2 sensor enable|disable` sends): only `enabled` is applied, and a change to any other field is refused, naming it (it comes from the pack's files)" })
  @ApiOkResponse({ type: SensorTypeResponseDto, description: 'Enabled or disabled; stays so until its metadata changes' })
  @ApiBadRequestResponse({ description: 'No boolean enabled, or another field changed' })
  @ApiNotFoundResponse({ description: 'No sensor with that ref is registered' })
  // A plain object, not a DTO: the echo holds every field of the sensor, which enabledFromEcho checks.
  replaceSensorType(@Param('ref') ref: string, @Body() body: object): Promise<SensorTypeResponseDto> {
    return this.service.replace(ref, body);
  }
}
