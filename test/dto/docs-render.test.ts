import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/*
 * What makes the API docs show every DTO field: typedoc renders a type alias tagged `@interface` as an
 * interface, and takes each property's comment from the `z.object({...})` literal it comes from. Running
 * typedoc takes half a minute, so this checks those two conventions in the sources instead (a parse, no
 * type checking): every field of every schema and interface in src/dto has a doc comment, every exported
 * type inferred from an object schema is tagged `@interface`, and every id field says whose id it is.
 */

const dtoDir = fileURLToPath(new URL('../../src/dto/', import.meta.url));
// Not DTOs: plain-data.ts is the JSON copier, index.ts only re-exports.
const skipped = new Set(['plain-data.ts', 'index.ts']);
const files = readdirSync(dtoDir)
  .filter((name) => name.endsWith('.ts') && !skipped.has(name))
  .map((name) => ({
    name,
    source: ts.createSourceFile(name, readFileSync(`${dtoDir}${name}`, 'utf8'), ts.ScriptTarget.Latest, true),
  }));

/** The text of a node's own doc comment, or `null` when it has none. */
function docOf(node: ts.Node): string | null {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const doc = docs[docs.length - 1];
  if (!doc) return null;
  const text = ts.getTextOfJSDocComment(doc.comment)?.trim() ?? '';
  return text.length > 0 ? text : null;
}

function visit(node: ts.Node, each: (node: ts.Node) => void): void {
  each(node);
  ts.forEachChild(node, (child) => visit(child, each));
}

/** `z.object({...})` calls of a file, with the name of the exported schema each belongs to. */
function objectSchemas(source: ts.SourceFile): { schema: string; shape: ts.ObjectLiteralExpression }[] {
  const found: { schema: string; shape: ts.ObjectLiteralExpression }[] = [];
  visit(source, (node) => {
    if (!ts.isVariableDeclaration(node) || !ts.isIdentifier(node.name) || !node.initializer) return;
    const schema = node.name.text;
    visit(node.initializer, (inner) => {
      if (
        ts.isCallExpression(inner) &&
        ts.isPropertyAccessExpression(inner.expression) &&
        inner.expression.name.text === 'object' &&
        inner.expression.expression.getText(source) === 'z' &&
        inner.arguments[0] !== undefined &&
        ts.isObjectLiteralExpression(inner.arguments[0])
      ) {
        found.push({ schema, shape: inner.arguments[0] });
      }
    });
  });
  return found;
}

/** Every field of a schema or an exported interface: `File.ts Owner.field` and its doc comment. */
function fields(): { at: string; doc: string | null; initializer: string }[] {
  const out: { at: string; doc: string | null; initializer: string }[] = [];
  for (const { name, source } of files) {
    for (const { schema, shape } of objectSchemas(source)) {
      for (const property of shape.properties) {
        if (!ts.isPropertyAssignment(property)) continue;
        out.push({
          at: `${name} ${schema}.${property.name.getText(source)}`,
          doc: docOf(property),
          initializer: property.initializer.getText(source),
        });
      }
    }
    visit(source, (node) => {
      if (!ts.isInterfaceDeclaration(node)) return;
      for (const member of node.members) {
        if (!ts.isPropertySignature(member)) continue;
        out.push({
          at: `${name} ${node.name.text}.${member.name.getText(source)}`,
          doc: docOf(member),
          initializer: member.type?.getText(source) ?? '',
        });
      }
    });
  }
  return out;
}

describe('DTO documentation, as typedoc renders it', () => {
  it('finds the schemas it checks', () => {
    // Guards the checks below: a change in how schemas are written must not make them pass vacuously.
    const names = files.flatMap(({ source }) => objectSchemas(source).map((s) => s.schema));
    expect(names).toEqual(
      expect.arrayContaining([
        'ChannelOrder',
        'ChannelOrderItem',
        'ChannelCustomer',
        'ChannelAddress',
        'CancelOrder',
        'OrderItemUpdate',
        'ChannelCancellationRequest',
        'OrderBatchResult',
        'CancellationRequestUpdateResult',
        'ChannelReport',
      ]),
    );
    expect(fields().length).toBeGreaterThan(150);
  });

  it('gives every field of every DTO a doc comment', () => {
    const undocumented = fields()
      .filter((field) => field.doc === null)
      .map((field) => field.at);
    expect(undocumented).toEqual([]);
  });

  it('tags every type inferred from an object schema @interface, so it renders with its fields', () => {
    const untagged: string[] = [];
    let checked = 0;
    for (const { name, source } of files) {
      const schemas = new Set(objectSchemas(source).map((s) => s.schema));
      visit(source, (node) => {
        if (!ts.isTypeAliasDeclaration(node)) return;
        const inferred = /^z\.(input|infer|output)<typeof (\w+)>$/.exec(node.type.getText(source));
        if (!inferred?.[2] || !schemas.has(inferred[2])) return;
        checked += 1;
        const tagged = ts.getJSDocTags(node).some((tag) => tag.tagName.text === 'interface');
        if (!tagged || docOf(node) === null) untagged.push(`${name} ${node.name.text}`);
      });
    }
    expect(checked).toBeGreaterThan(20);
    expect(untagged).toEqual([]);
  });

  it("says for every id field whether it is the marketplace's id or Omnitron's", () => {
    const isId = (field: { at: string; initializer: string }) =>
      /(^|\s)(z\.array\()?(RemoteId|OmnitronId)\b/.test(field.initializer) || /\.(\w*Id|id)$/.test(field.at);
    const ids = fields().filter(isId);
    const unclear = ids.filter((field) => !/marketplace|omnitron/i.test(field.doc ?? '')).map((f) => f.at);
    expect(ids.length).toBeGreaterThan(30);
    expect(unclear).toEqual([]);
  });
});
