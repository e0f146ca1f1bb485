// @ts-check
import { Converter, ReflectionKind } from 'typedoc';

/**
 * The SDK's data types are zod schemas, and their fields are documented on the schema's properties.
 * TypeDoc shows the zod expression of each such property as if it were a default value
 * (`amount: string = NonNegativeDecimalString`), which reads as a default it is not: drop them.
 *
 * @param {import('typedoc').Application} app
 */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    for (const reflection of context.project.getReflectionsByKind(ReflectionKind.Property)) {
      reflection.defaultValue = undefined;
    }
  });
}
