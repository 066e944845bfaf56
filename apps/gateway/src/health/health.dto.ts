import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class DependencyHealthDto {
  @ApiProperty({ enum: ['up', 'down'] })
  status!: 'up' | 'down';

  @ApiProperty({ description: 'Round-trip time of the check in milliseconds' })
  latency_ms!: number;

  @ApiPropertyOptional({ description: 'Why the dependency is down' })
  error?: string;
}

export class HealthResponseDto {
  @ApiProperty({ enum: ['ok', 'degraded'], description: 'ok when every dependency is up' })
  status!: 'ok' | 'degraded';

  @ApiProperty({ type: DependencyHealthDto })
  postgres!: DependencyHealthDto;

  @ApiProperty({ type: DependencyHealthDto })
  temporal!: DependencyHealthDto;
}
