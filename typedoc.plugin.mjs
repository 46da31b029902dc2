// TypeDoc plugin for the mdlkit API reference (`pnpm docs:api`, loaded from typedoc.json).
//
// 1. Module names: each entry point is a package export, so `packages/core/src/cbor/index.ts` is
//    shown as `@mdlkit/core/cbor` instead of its path.
// 2. `@throws {@link MdlError}`: TypeScript parses the braces after `@throws` as a type, so TypeDoc
//    cannot resolve the link through the compiler and falls back to a name lookup scoped to the
//    current module, where core's error class is not exported. After TypeDoc's own link resolution,
//    links that are still unresolved and name one documented export are pointed at it (the
//    declaration in the same package first).
import { Converter, ReflectionKind } from 'typedoc';

const ENTRY_MODULE = /^(?:packages\/)?([a-z0-9-]+)\/src(?:\/([a-z0-9-]+))?$/;
const LINK_TAGS = new Set(['@link', '@linkcode', '@linkplain']);

/** `core/src/cbor` → `@mdlkit/core/cbor`; anything else is left alone. */
function packageExportName(name) {
  const match = ENTRY_MODULE.exec(name);
  if (match === null) return undefined;
  return match[2] === undefined ? `@mdlkit/${match[1]}` : `@mdlkit/${match[1]}/${match[2]}`;
}

function packageOf(reflection) {
  let current = reflection;
  while (current !== undefined && !current.kindOf(ReflectionKind.Module)) current = current.parent;
  return current?.name.split('/').slice(0, 2).join('/');
}

function commentParts(comment) {
  if (comment === undefined) return [];
  return [...comment.summary, ...comment.blockTags.flatMap((tag) => tag.content)];
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      const name = packageExportName(module.name);
      if (name !== undefined) module.name = name;
    }
  });

  // TypeDoc's LinkResolverPlugin runs at priority -300; this runs after it.
  app.converter.on(
    Converter.EVENT_RESOLVE_END,
    (context) => {
      const byName = new Map();
      for (const reflection of context.project.getReflectionsByKind(ReflectionKind.SomeExport)) {
        if (
          reflection.kindOf(ReflectionKind.Reference) ||
          reflection.parent?.kindOf(ReflectionKind.Module) !== true
        ) {
          continue;
        }
        const list = byName.get(reflection.name) ?? [];
        list.push(reflection);
        byName.set(reflection.name, list);
      }
      const lookup = (text, owner) => {
        const reference = text.trim().split(/[\s|]/)[0] ?? '';
        const [head, ...members] = reference.split(/[.#]/);
        const candidates = byName.get(head) ?? [];
        const home = packageOf(owner);
        let target = candidates.find((c) => packageOf(c) === home) ?? candidates[0];
        for (const member of members) target = target?.getChildByName(member);
        return target;
      };
      for (const reflection of Object.values(context.project.reflections)) {
        for (const part of commentParts(reflection.comment)) {
          if (part.kind !== 'inline-tag' || !LINK_TAGS.has(part.tag) || typeof part.target === 'string')
            continue;
          if (part.target !== undefined && typeof part.target.isDeclaration === 'function') continue;
          const target = lookup(part.text, reflection);
          if (target !== undefined) part.target = target;
        }
      }
    },
    -400,
  );
}
