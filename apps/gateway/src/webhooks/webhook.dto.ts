import { ApiProperty } from '@nestjs/swagger';

export class WebhookParametersDto {
  @ApiProperty({ example: 'alerts', description: 'POST /api/v1/webhooks/{url}' })
  url!: string;
}

/** A webhook as StackStorm lists it: the core.st2.webhook trigger of one url. */
export class WebhookResponseDto {
  @ApiProperty({ example: 'core.st2.webhook' })
  type!: string;

  @ApiProperty({ type: WebhookParametersDto })
  parameters!: WebhookParametersDto;

  @ApiProperty()
  description!: string;
}
