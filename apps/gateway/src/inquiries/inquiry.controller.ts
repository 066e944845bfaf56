import { Body, Controller, Get, Param, Put, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { InquiryDto, InquiryRespondDto, InquiryRespondedDto } from './inquiry.dto';
import { InquiryService } from './inquiry.service';

@ApiTags('inquiries')
@Controller('inquiries')
export class InquiryController {
  constructor(private readonly service: InquiryService) {}

  @Get()
  @ApiOkResponse({ type: [InquiryDto], description: 'Inquiries waiting for a response, newest first' })
  listInquiries(): Promise<InquiryDto[]> {
    return this.service.list();
  }

  @Get(':id')
  @ApiOkResponse({ type: InquiryDto })
  @ApiNotFoundResponse({ description: 'No such inquiry' })
  getInquiry(@Param('id') id: string): Promise<InquiryDto> {
    return this.service.get(id);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Respond to an inquiry: the execution that waits on it succeeds with the response, and its workflow goes on' })
  @ApiOkResponse({ type: InquiryRespondedDto })
  @ApiBadRequestResponse({ description: "The response does not match the inquiry's schema (every field named); the inquiry keeps waiting" })
  @ApiForbiddenResponse({ description: 'The caller is not among its users (or roles)' })
  @ApiNotFoundResponse({ description: 'No such inquiry' })
  @ApiConflictResponse({ description: 'It was responded to, timed out or was canceled' })
  respondToInquiry(@Param('id') id: string, @Body() body: InquiryRespondDto, @Req() request: AuthenticatedRequest): Promise<InquiryRespondedDto> {
    return this.service.respond(id, body, request.principal!);
  }
}
