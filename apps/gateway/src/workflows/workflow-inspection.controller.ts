import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiExtraModels, ApiOkResponse, ApiOperation, ApiPayloadTooLargeResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { WorkflowInspectionErrorDto, WorkflowInspectionRequestDto } from './workflow-inspection.dto';
import { WorkflowInspectionService } from './workflow-inspection.service';

@ApiTags('workflows')
@Controller('workflows')
export class WorkflowInspectionController {
  constructor(private readonly service: WorkflowInspectionService) {}

  @Post('inspect')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Inspect a workflow definition (Orquesta or ActionChain) without registering or running it',
    description: "StackStorm's POST /api/v1/workflows/inspect: the definition as text/plain YAML (what `st2 workflow inspect` sends), or JSON with an explicit runner_type. Task actions are checked against the registry.",
  })
  @ApiConsumes('text/plain', 'application/json')
  @ApiExtraModels(WorkflowInspectionRequestDto)
  @ApiBody({ schema: { oneOf: [{ type: 'string', description: 'The definition, YAML (text/plain)' }, { $ref: getSchemaPath(WorkflowInspectionRequestDto) }] } })
  @ApiOkResponse({ type: [WorkflowInspectionErrorDto], description: 'Every problem, sorted by type then schema path; an empty list when the workflow can run. YAML that does not parse is one syntax error naming its line.' })
  @ApiBadRequestResponse({ description: 'No definition, a definition that is not a YAML mapping, or a JSON body with a bad field (named)' })
  @ApiPayloadTooLargeResponse({ description: 'A body over 1 MiB' })
  inspectWorkflow(@Body() body: unknown): Promise<WorkflowInspectionErrorDto[]> {
    return this.service.inspect(body);
  }
}
