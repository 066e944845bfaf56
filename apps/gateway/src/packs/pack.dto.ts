import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class PackResponseDto {
  @ApiProperty({ example: 'core' })
  ref!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ example: '1.0.0' })
  version!: string;

  @ApiProperty()
  author!: string;

  @ApiPropertyOptional()
  email?: string;

  @ApiProperty({ type: [String] })
  keywords!: string[];

  @ApiProperty({ type: [String], description: 'Packs this pack needs' })
  dependencies!: string[];

  @ApiProperty({ format: 'date-time' })
  registered_at!: string;

  @ApiProperty({ format: 'date-time', description: 'When the registered metadata last changed' })
  updated_at!: string;
}
