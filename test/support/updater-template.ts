/**
 * The updater's two functions and their roles in a synthesized template: the push function (Lambda
 * handler `index.handler`, role `<updater>Role…`) and the write queue's writer (`index.writeHandler`,
 * role `<updater>WritesRole…`).
 */
import type { Template } from 'aws-cdk-lib/assertions';

export type UpdaterFunctionKind = 'push' | 'writer';

const HANDLER: Readonly<Record<UpdaterFunctionKind, string>> = {
  push: 'index.handler',
  writer: 'index.writeHandler',
};

type Resource = { readonly Properties: Record<string, unknown> } & Record<string, unknown>;

/** The function of that kind, or undefined when the template has none. */
export function updaterFunction(template: Template, kind: UpdaterFunctionKind): Resource | undefined {
  const functions = Object.values(template.findResources('AWS::Lambda::Function')) as Resource[];
  const found = functions.filter((fn) => fn.Properties.Handler === HANDLER[kind]);
  if (found.length > 1) throw new Error(`${found.length} functions have the handler ${HANDLER[kind]}`);
  return found[0];
}

/** The function's environment variables, as the template gives them. */
export function environmentOf(template: Template, kind: UpdaterFunctionKind): Record<string, unknown> {
  const fn = updaterFunction(template, kind);
  if (!fn) throw new Error(`no ${kind} function in the template`);
  return (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

/** Every statement of the policies attached to the role of that function. */
export function roleStatements(
  template: Template,
  kind: UpdaterFunctionKind,
): Array<Record<string, unknown>> {
  const fn = updaterFunction(template, kind);
  if (!fn) throw new Error(`no ${kind} function in the template`);
  const role = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as Array<{ Ref?: string }>).some((ref) => ref.Ref === role))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>);
}
