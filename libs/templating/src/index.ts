export { DECRYPT_KV_HOOK, isTemplate, renderTemplate, TemplateError } from './render';
export { renderParameters } from './parameters';
export type { ParameterContext, ParameterSpec, RenderParametersResult } from './parameters';
export { NONE_MAGIC_VALUE, stackstormFilters } from './filters';
export { parseTemplate, templateReferences } from './template-ast';
export type { TemplateNode, TemplateReferences } from './template-ast';
export { pythonRegex, type PythonRegex } from './python-regex';
export { prepareExecutionParameters } from './execution-parameters';
