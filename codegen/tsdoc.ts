import type { JSDocStructure, OptionalKind } from 'ts-morph';
import type { OperationSpec } from '../protocol/define.js';
import { isRequired, type Schema } from './schema.js';
import { printType } from './types.js';

/**
 * The doc comment of a generated method, all from the spec: the operation's
 * doc line, a `@param` per parameter (from the fields' descriptions), what it
 * resolves, the server error codes it can raise, and its example.
 */
export function methodDoc(
  op: OperationSpec,
  parameters: readonly { name: string; type: string }[],
  bound: string | undefined,
): OptionalKind<JSDocStructure> {
  const request = op.request as Schema;
  const tags = parameters.map(({ name, type }) => ({
    tagName: 'param',
    text: `${name} - ${parameterText(op, name, type)}`,
  }));
  tags.push({ tagName: 'returns', text: returnsText(op) });
  if (op.errors?.length) {
    tags.push({
      tagName: 'throws',
      text: `{NoexClientError} with the server's code ${listed(op.errors, 'or')}`,
    });
  }
  if (op.example) tags.push({ tagName: 'example', text: `\n\`\`\`ts\n${op.example}\n\`\`\`` });
  return { description: op.doc, tags };

  function parameterText(spec: OperationSpec, name: string, type: string): string {
    if (name === 'callback') {
      return `Receives ${listed(Object.keys(spec.callback ?? {}), 'and')}.`;
    }
    if (/^(Call|Subscribe)Options$/.test(type)) {
      return type === 'SubscribeOptions'
        ? 'The call options (`signal`, `timeoutMs`, ...), and `onStatus` for the subscription.'
        : 'The call options: `signal`, `timeoutMs`, `waitForConnection`, `retry`.';
    }
    const spread = spec.params.find((param) => param === `...${name}`);
    if (spread) {
      const named = spec.params.filter((param) => !param.startsWith('...'));
      const fields = Object.keys(request.properties ?? {}).filter(
        (field) => !named.includes(field) && field !== bound,
      );
      if (request.description && fields.length === Object.keys(request.properties ?? {}).length) {
        return sentence(request.description);
      }
      const required = fields.filter((field) => isRequired(request, field));
      return `The request's ${listed(fields, 'and')}${required.length ? `; ${listed(required, 'and')} required` : ''}.`;
    }
    return sentence(request.properties?.[name]?.description ?? '');
  }
}

function returnsText(op: OperationSpec): string {
  switch (op.kind) {
    case 'void':
      return 'Resolves once the server has done it.';
    case 'subscribe':
      return 'The function that ends the subscription, once the server has started it.';
    case 'unsubscribe':
      return 'Resolves once the server has ended the subscription.';
  }
  const result = op.result as Schema;
  const resolved = op.unwrap ? result.properties?.[op.unwrap] : result;
  const about = resolved?.description
    ? sentence(resolved.description)
    : resolved?.$id
      ? `The server's \`${resolved.$id}\`.`
      : resolved?.properties
        ? `\`{ ${Object.keys(resolved.properties).join(', ')} }\`.`
        : `A \`${printType(resolved ?? {})}\`.`;
  return op.unwrap ? `The result's \`${op.unwrap}\`: ${about}` : about;
}

/** `a`, `b` and `c`. */
function listed(items: readonly string[], last: 'and' | 'or'): string {
  const quoted = items.map((item) => `\`${item}\``);
  return quoted.length < 2
    ? (quoted[0] ?? '')
    : `${quoted.slice(0, -1).join(', ')} ${last} ${quoted.at(-1)}`;
}

const sentence = (text: string) => (!text || /[.!?]$/.test(text) ? text : `${text}.`);
