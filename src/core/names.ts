// Class names for printing and errors. Bundlers rename classes (`_Sequential`, or `t` when minified), so
// library classes declare `static displayName` and reprs read it; a user's own subclass without one
// falls back to its constructor's name.

interface Named {
  readonly name: string;
  readonly displayName?: string;
}

/** The declared name of a class: its own `displayName`, else its (possibly minified) name. */
export function nameOfClass(ctor: Named): string {
  return Object.hasOwn(ctor, 'displayName') ? ctor.displayName! : ctor.name;
}

/** The declared class name of `obj`. */
export const classNameOf = (obj: object): string => nameOfClass(obj.constructor as Named);
