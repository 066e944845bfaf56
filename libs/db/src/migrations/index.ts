import type { Migration } from 'kysely';
import * as initial from './1763721600000-Initial';
import * as packs from './1763722000000-Packs';
import * as actions from './1763722400000-Actions';
import * as executions from './1763722800000-Executions';
import * as actionRetry from './1763723200000-ActionRetry';
import * as packConfigs from './1763723600000-PackConfigs';
import * as actionTokens from './1763723700000-ActionTokens';
import * as keyValuePairs from './1763724400000-KeyValuePairs';
import * as triggersAndRules from './1763724800000-TriggersAndRules';
import * as sensors from './1763726000000-Sensors';
import * as sealedExecutionSecrets from './1763727100000-SealedExecutionSecrets';
import * as sealedPackConfigs from './1763727110000-SealedPackConfigs';
import * as executionAttempts from './1763727200000-ExecutionAttempts';
import * as executionChangeNotify from './1763727300000-ExecutionChangeNotify';
import * as lookupChangeNotify from './1763727400000-LookupChangeNotify';
import * as triggerInstanceQueueIndex from './1763727500000-TriggerInstanceQueueIndex';
import * as executionNotify from './1763727620000-ExecutionNotify';
import * as workflowStates from './1763727650000-WorkflowStates';
import * as actionAliases from './1763727700000-ActionAliases';
import * as actionConcurrency from './1763727750000-ActionConcurrency';
import * as streamNotify from './1763727800000-StreamNotify';
import * as executionTriggerInstanceIndex from './1763727850000-ExecutionTriggerInstanceIndex';
import * as apiKeyMetadata from './1763727860000-ApiKeyMetadata';
import * as policies from './1763727900000-Policies';

/**
 * Every migration, by name, in order. Listed statically (not read from disk)
 * so that compiled and bundled builds carry them.
 */
export const migrations: Record<string, Migration> = {
  '1763721600000-Initial': initial,
  '1763722000000-Packs': packs,
  '1763722400000-Actions': actions,
  '1763722800000-Executions': executions,
  '1763723200000-ActionRetry': actionRetry,
  '1763723600000-PackConfigs': packConfigs,
  '1763723700000-ActionTokens': actionTokens,
  '1763724400000-KeyValuePairs': keyValuePairs,
  '1763724800000-TriggersAndRules': triggersAndRules,
  '1763726000000-Sensors': sensors,
  '1763727100000-SealedExecutionSecrets': sealedExecutionSecrets,
  '1763727110000-SealedPackConfigs': sealedPackConfigs,
  '1763727200000-ExecutionAttempts': executionAttempts,
  '1763727300000-ExecutionChangeNotify': executionChangeNotify,
  '1763727400000-LookupChangeNotify': lookupChangeNotify,
  '1763727500000-TriggerInstanceQueueIndex': triggerInstanceQueueIndex,
  '1763727620000-ExecutionNotify': executionNotify,
  '1763727650000-WorkflowStates': workflowStates,
  '1763727700000-ActionAliases': actionAliases,
  '1763727750000-ActionConcurrency': actionConcurrency,
  '1763727800000-StreamNotify': streamNotify,
  '1763727850000-ExecutionTriggerInstanceIndex': executionTriggerInstanceIndex,
  '1763727860000-ApiKeyMetadata': apiKeyMetadata,
  '1763727900000-Policies': policies,
};
