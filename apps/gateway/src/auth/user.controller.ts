import { Controller, Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { AuthenticatedRequest } from './api-key.guard';

export class UserAuthenticationDto {
  @ApiProperty({ enum: ['api key', 'action token'], description: 'How the request proved who it is' })
  method!: string;

  @ApiProperty({ example: 'header' })
  location!: string;
}

export class UserRbacDto {
  @ApiProperty({ description: 'Tempest has no role-based access control: always false' })
  enabled!: boolean;

  @ApiProperty({ type: [String] })
  roles!: string[];

  @ApiProperty()
  is_admin!: boolean;
}

/** Who the caller is, in StackStorm's shape (what `st2 whoami` prints). */
export class UserResponseDto {
  @ApiProperty({ example: 'admin' })
  username!: string;

  @ApiProperty({ type: UserAuthenticationDto })
  authentication!: UserAuthenticationDto;

  @ApiProperty({ type: UserRbacDto })
  rbac!: UserRbacDto;
}

@ApiTags('user')
@Controller('user')
export class UserController {
  @Get()
  @ApiOkResponse({ type: UserResponseDto })
  @ApiUnauthorizedResponse({ description: 'No API key, or an unknown one' })
  getUser(@Req() request: AuthenticatedRequest): UserResponseDto {
    const principal = request.principal!;
    return {
      username: principal.user,
      authentication: { method: principal.executionId ? 'action token' : 'api key', location: 'header' },
      // Without RBAC every authenticated user may do everything, as StackStorm with RBAC off.
      rbac: { enabled: false, roles: [], is_admin: true },
    };
  }
}
