/**
 * The package ships twice, as ES modules and as CommonJS, and one program can load both copies: an adapter
 * that extends the CommonJS `ChannelIntegration` handed to an `OrderService` imported as ESM, or an error
 * thrown by one copy caught by the other. Each copy has its own classes, so a plain `instanceof` refuses
 * the other copy's objects. The classes the SDK checks with `instanceof` therefore carry a brand on their
 * prototype under a registry symbol, which is the same symbol in every copy, and their
 * `[Symbol.hasInstance]` accepts an object whose prototype chain holds the same brand.
 */
const BRAND = Symbol.for('channel-app-sdk.brand');

/** Any class, abstract ones included. */
type AnyClass = abstract new (...args: never[]) => unknown;

/**
 * Brands an SDK class and gives it its name literally. Bundlers rename classes (the built output once
 * called `InvalidPayloadError` `_InvalidPayloadError`), and error names are read by people and by log
 * queries, so each class states its own name instead of trusting the one the build left.
 *
 * @param target - the class, from its `static` block
 * @param name - the class's exported name, which is also its brand
 *
 * @group Errors
 */
export function brandClass(target: AnyClass, name: string): void {
  Object.defineProperty(target, 'name', { value: name, configurable: true });
  Object.defineProperty(target.prototype, BRAND, { value: name });
}

/**
 * `value instanceof target`, also true when `value` is an instance of the same SDK class from the other
 * build (its prototype chain holds the brand `target`'s prototype carries). A class without a brand of its
 * own (a user's subclass) gets the ordinary check only, so a branded look-alike is never taken for it.
 *
 * @group Errors
 */
export function isInstanceAcrossBuilds(target: AnyClass, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(target, value)) return true;
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  const brand = ownBrand(target.prototype);
  if (brand === undefined) return false;
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (ownBrand(proto) === brand) return true;
  }
  return false;
}

/** The brand an object itself carries (not one it inherits). */
function ownBrand(proto: object): unknown {
  return Object.getOwnPropertyDescriptor(proto, BRAND)?.value;
}
