/**
 * pprof's `profile.proto` (package `perftools.profiles`, github.com/google/pprof/proto) as a
 * descriptor for a maintained protobuf runtime: profiles are written with it (tests, the bench), and
 * Kiln's own decoder (`wire.ts`) is checked against the runtime's decoding of them.
 */
import { create, createFileRegistry, type DescMessage } from '@bufbuild/protobuf';
import {
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
  FileDescriptorProtoSchema,
} from '@bufbuild/protobuf/wkt';

type Field = [name: string, number: number, type: Type, repeated?: boolean, message?: string];

const message = (name: string, fields: Field[]) => ({
  name,
  field: fields.map(([field, number, type, repeated, typeName]) => ({
    name: field,
    number,
    type,
    label: repeated ? Label.REPEATED : Label.OPTIONAL,
    ...(typeName && { typeName: `.perftools.profiles.${typeName}` }),
  })),
});

const { INT64, UINT64, STRING, BOOL, MESSAGE } = Type;

const file = create(FileDescriptorProtoSchema, {
  name: 'profile.proto',
  package: 'perftools.profiles',
  syntax: 'proto3',
  messageType: [
    message('Profile', [
      ['sample_type', 1, MESSAGE, true, 'ValueType'],
      ['sample', 2, MESSAGE, true, 'Sample'],
      ['mapping', 3, MESSAGE, true, 'Mapping'],
      ['location', 4, MESSAGE, true, 'Location'],
      ['function', 5, MESSAGE, true, 'Function'],
      ['string_table', 6, STRING, true],
      ['drop_frames', 7, INT64],
      ['keep_frames', 8, INT64],
      ['time_nanos', 9, INT64],
      ['duration_nanos', 10, INT64],
      ['period_type', 11, MESSAGE, false, 'ValueType'],
      ['period', 12, INT64],
      ['comment', 13, INT64, true],
      ['default_sample_type', 14, INT64],
      ['doc_url', 15, INT64],
    ]),
    message('ValueType', [
      ['type', 1, INT64],
      ['unit', 2, INT64],
    ]),
    message('Sample', [
      ['location_id', 1, UINT64, true],
      ['value', 2, INT64, true],
      ['label', 3, MESSAGE, true, 'Label'],
    ]),
    message('Label', [
      ['key', 1, INT64],
      ['str', 2, INT64],
      ['num', 3, INT64],
      ['num_unit', 4, INT64],
    ]),
    message('Mapping', [
      ['id', 1, UINT64],
      ['memory_start', 2, UINT64],
      ['memory_limit', 3, UINT64],
      ['file_offset', 4, UINT64],
      ['filename', 5, INT64],
      ['build_id', 6, INT64],
      ['has_functions', 7, BOOL],
      ['has_filenames', 8, BOOL],
      ['has_line_numbers', 9, BOOL],
      ['has_inline_frames', 10, BOOL],
    ]),
    message('Location', [
      ['id', 1, UINT64],
      ['mapping_id', 2, UINT64],
      ['address', 3, UINT64],
      ['line', 4, MESSAGE, true, 'Line'],
      ['is_folded', 5, BOOL],
    ]),
    message('Line', [
      ['function_id', 1, UINT64],
      ['line', 2, INT64],
      ['column', 3, INT64],
    ]),
    message('Function', [
      ['id', 1, UINT64],
      ['name', 2, INT64],
      ['system_name', 3, INT64],
      ['filename', 4, INT64],
      ['start_line', 5, INT64],
    ]),
  ],
});

const registry = createFileRegistry(file, () => undefined);

const messageOf = (name: string): DescMessage => {
  const desc = registry.getMessage(`perftools.profiles.${name}`);
  if (!desc) throw new Error(`profile.proto has no message ${name}`);
  return desc;
};

export const ProfileSchema = messageOf('Profile');
