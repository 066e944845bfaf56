import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ExecutionModule } from '../executions/execution.module';
import { StreamController } from './stream.controller';
import { StreamHub } from './stream-hub';

@Module({ imports: [AuthModule, ExecutionModule], controllers: [StreamController], providers: [StreamHub] })
export class StreamModule {}
