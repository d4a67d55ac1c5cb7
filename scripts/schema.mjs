// Generates src/core/rooms/spec/{schema,db,dispatch} from the definitions below.
// Append-only: never reorder, remove or retype a registration or a field once it has shipped;
// new fields are optional and go last, new ops and collections go at the end.
import Hyperschema from 'hyperschema'
import HyperdbBuilder from 'hyperdb/builder'
import Hyperdispatch from 'hyperdispatch'

const SPEC = new URL('../src/core/rooms/spec/', import.meta.url).pathname
const SCHEMA_DIR = SPEC + 'schema'
const DB_DIR = SPEC + 'db'
const DISPATCH_DIR = SPEC + 'dispatch'

const schema = Hyperschema.from(SCHEMA_DIR)
const ns = schema.namespace('roost')

// ---- ops: what members append to the room ----
ns.register({
  name: 'room-info',
  compact: false,
  fields: [
    { name: 'name', type: 'string', required: true },
    { name: 'topic', type: 'string', required: true },
    // issue 17: the author's clock, for the timeline's roster line
    { name: 'timestamp', type: 'uint', required: false },
    // issue 14: files larger than this many bytes are not given to the room's blind peers
    { name: 'mirrorFileCap', type: 'uint', required: false }
  ]
})
ns.register({
  name: 'member-add',
  compact: false,
  fields: [
    { name: 'writer', type: 'fixed32', required: true },
    { name: 'profile', type: 'fixed32', required: true },
    { name: 'name', type: 'string', required: true },
    { name: 'role', type: 'uint', required: true },
    { name: 'signature', type: 'fixed64', required: true },
    { name: 'inviteId', type: 'buffer', required: false },
    // issue 10: the admitter's clock when it admitted, judged against the invite's expiry
    { name: 'timestamp', type: 'uint', required: false },
    // issue 10: the writer core's signing public key, which epoch keys are sealed to
    { name: 'boxKey', type: 'fixed32', required: false },
    // issue 15: the device's attestation of the writer (identity-key.ts); with it the
    // signature is not checked, so a device without the identity's secret can be added
    { name: 'binding', type: 'buffer', required: false }
  ]
})
ns.register({
  name: 'member-remove',
  compact: false,
  fields: [
    { name: 'profile', type: 'fixed32', required: true },
    // issue 17: the author's clock, for the timeline's roster line
    { name: 'timestamp', type: 'uint', required: false }
  ]
})
ns.register({
  name: 'role-set',
  compact: false,
  fields: [
    { name: 'profile', type: 'fixed32', required: true },
    { name: 'role', type: 'uint', required: true },
    // issue 17: the author's clock, for the timeline's roster line
    { name: 'timestamp', type: 'uint', required: false }
  ]
})
ns.register({
  name: 'profile-update',
  compact: false,
  fields: [
    { name: 'name', type: 'string', required: true },
    // issue 17: the author's clock, for the timeline's roster line
    { name: 'timestamp', type: 'uint', required: false }
  ]
})
ns.register({
  name: 'message',
  compact: false,
  fields: [
    { name: 'text', type: 'string', required: true },
    { name: 'timestamp', type: 'uint', required: true },
    { name: 'replyTo', type: 'string', required: false },
    // issue 10: the text sealed with the room epoch's key (text is then empty)
    { name: 'epoch', type: 'fixed32', required: false },
    { name: 'nonce', type: 'fixed24', required: false },
    { name: 'ciphertext', type: 'buffer', required: false },
    // issue 13: the profiles the text @mentions
    { name: 'mentions', type: 'fixed32', array: true, required: false },
    // issue 14: an attachment, a file-descriptor sealed with the same epoch key under its own nonce
    { name: 'fileNonce', type: 'fixed24', required: false },
    { name: 'file', type: 'buffer', required: false }
  ]
})
ns.register({
  name: 'invite-add',
  compact: false,
  fields: [
    { name: 'id', type: 'buffer', required: true },
    { name: 'publicKey', type: 'fixed32', required: true },
    { name: 'expires', type: 'uint', required: true },
    { name: 'uses', type: 'uint', required: true },
    // issue 10: an invite that admits this profile alone (and may bring back a removed one)
    { name: 'forProfile', type: 'fixed32', required: false }
  ]
})
ns.register({
  name: 'invite-revoke',
  compact: false,
  fields: [{ name: 'id', type: 'buffer', required: true }]
})

// ---- view records ----
ns.register({
  name: 'stored-message',
  compact: false,
  fields: [
    { name: 'seq', type: 'uint', required: true },
    { name: 'id', type: 'string', required: true },
    { name: 'writer', type: 'fixed32', required: true },
    { name: 'author', type: 'fixed32', required: true },
    { name: 'text', type: 'string', required: true },
    { name: 'timestamp', type: 'uint', required: true },
    { name: 'replyTo', type: 'string', required: false },
    { name: 'epoch', type: 'fixed32', required: false },
    { name: 'nonce', type: 'fixed24', required: false },
    { name: 'ciphertext', type: 'buffer', required: false },
    // issue 13: the author's last edit (its clock), a delete's tombstone, pins, mentions, reactions
    { name: 'editedAt', type: 'uint', required: false },
    { name: 'deleted', type: 'bool', required: false },
    { name: 'pinned', type: 'bool', required: false },
    { name: 'mentions', type: 'fixed32', array: true, required: false },
    { name: 'reactions', type: '@roost/reaction', array: true, required: false },
    // issue 14: the message op's sealed attachment
    { name: 'fileNonce', type: 'fixed24', required: false },
    { name: 'file', type: 'buffer', required: false }
  ]
})
ns.register({
  name: 'member',
  compact: false,
  fields: [
    { name: 'profile', type: 'fixed32', required: true },
    { name: 'name', type: 'string', required: true },
    { name: 'role', type: 'uint', required: true },
    { name: 'removed', type: 'bool', required: true },
    { name: 'invitedBy', type: 'fixed32', required: false },
    // issue 10: removed by leaving, not by an admin (an ordinary invite may bring them back)
    { name: 'left', type: 'bool', required: false }
  ]
})
ns.register({
  name: 'writer',
  compact: false,
  fields: [
    { name: 'key', type: 'fixed32', required: true },
    { name: 'profile', type: 'fixed32', required: true },
    // issue 10: whether apply made this writer an indexer
    { name: 'indexer', type: 'bool', required: false },
    // issue 10: whether apply removed this writer from the base
    { name: 'removed', type: 'bool', required: false },
    { name: 'boxKey', type: 'fixed32', required: false },
    // issue 14: the writer's blobs core, which the room's blind peers keep
    { name: 'blobs', type: 'fixed32', required: false },
    // issue 15: the device that bound it (the profile itself for a writer signed before
    // devices), its proof's epoch (seconds) and whether that device was unlinked
    { name: 'device', type: 'fixed32', required: false },
    { name: 'epoch', type: 'uint', required: false },
    { name: 'revoked', type: 'bool', required: false }
  ]
})
ns.register({
  name: 'invite',
  compact: false,
  fields: [
    { name: 'id', type: 'buffer', required: true },
    { name: 'publicKey', type: 'fixed32', required: true },
    { name: 'expires', type: 'uint', required: true },
    { name: 'uses', type: 'uint', required: true },
    { name: 'used', type: 'uint', required: true },
    { name: 'revoked', type: 'bool', required: true },
    { name: 'createdBy', type: 'fixed32', required: true },
    { name: 'forProfile', type: 'fixed32', required: false }
  ]
})
ns.register({
  name: 'info',
  compact: false,
  fields: [
    { name: 'key', type: 'string', required: true },
    { name: 'name', type: 'string', required: true },
    { name: 'topic', type: 'string', required: true },
    // issue 14: see room-info
    { name: 'mirrorFileCap', type: 'uint', required: false }
  ]
})
ns.register({
  name: 'counter',
  compact: false,
  fields: [
    { name: 'name', type: 'string', required: true },
    { name: 'value', type: 'uint', required: true }
  ]
})
// ---- appended for blind peers (issue 4) ----
ns.register({
  name: 'mirror-add',
  compact: false,
  fields: [{ name: 'key', type: 'fixed32', required: true }]
})
ns.register({
  name: 'mirror-remove',
  compact: false,
  fields: [{ name: 'key', type: 'fixed32', required: true }]
})
ns.register({
  name: 'mirror',
  compact: false,
  fields: [
    { name: 'key', type: 'fixed32', required: true },
    { name: 'addedBy', type: 'fixed32', required: true },
    { name: 'removed', type: 'bool', required: true }
  ]
})
// ---- appended for membership you can trust (issue 10) ----
ns.register({
  name: 'member-leave',
  compact: false,
  fields: [
    { name: 'profile', type: 'fixed32', required: true },
    // issue 17: the author's clock, for the timeline's roster line
    { name: 'timestamp', type: 'uint', required: false }
  ]
})
ns.register({
  name: 'epoch-box',
  compact: false,
  fields: [
    { name: 'epoch', type: 'fixed32', required: true },
    { name: 'writer', type: 'fixed32', required: true },
    // crypto_box_seal of the epoch's 32-byte key to the writer's key (as curve25519)
    { name: 'box', type: 'buffer', required: true }
  ]
})
ns.register({
  name: 'epoch-keys',
  compact: false,
  fields: [
    // true: a new epoch (every box names it); false: existing epochs' keys for more writers
    { name: 'rotate', type: 'bool', required: true },
    { name: 'boxes', type: '@roost/epoch-box', array: true, required: true }
  ]
})
ns.register({
  name: 'epoch',
  compact: false,
  fields: [
    { name: 'id', type: 'fixed32', required: true },
    { name: 'index', type: 'uint', required: true },
    { name: 'createdBy', type: 'fixed32', required: true }
  ]
})
ns.register({
  name: 'indexer-fork',
  compact: false,
  fields: [
    // the room goes on with these indexers from the indexed state below, without the old quorum
    { name: 'indexers', type: 'fixed32', array: true, required: true },
    { name: 'system', type: 'fixed32', required: true },
    { name: 'length', type: 'uint', required: true }
  ]
})
// ---- appended for the timeline's roster lines (issue 17) ----
ns.register({
  name: 'roster-change',
  compact: false,
  fields: [
    // the number of messages before it: it shows just above the message with this seq
    { name: 'position', type: 'uint', required: true },
    { name: 'seq', type: 'uint', required: true },
    { name: 'id', type: 'string', required: true },
    { name: 'kind', type: 'uint', required: true },
    { name: 'actor', type: 'fixed32', required: true },
    { name: 'subject', type: 'fixed32', required: false },
    // the subject's name (or the room's) as it became, and as it was before a rename
    { name: 'name', type: 'string', required: true },
    { name: 'previous', type: 'string', required: false },
    { name: 'role', type: 'uint', required: false },
    // the actor's clock; 0 when its op carried none
    { name: 'timestamp', type: 'uint', required: true }
  ]
})
// ---- appended for conversation: edits, deletes, reactions, pins, mentions (issue 13) ----
ns.register({
  name: 'reaction',
  compact: false,
  fields: [
    { name: 'emoji', type: 'string', required: true },
    // who reacted with it, in the order they did
    { name: 'profiles', type: 'fixed32', array: true, required: true }
  ]
})
ns.register({
  name: 'message-edit',
  compact: false,
  fields: [
    { name: 'id', type: 'string', required: true },
    { name: 'timestamp', type: 'uint', required: true },
    { name: 'epoch', type: 'fixed32', required: true },
    { name: 'nonce', type: 'fixed24', required: true },
    { name: 'ciphertext', type: 'buffer', required: true },
    { name: 'mentions', type: 'fixed32', array: true, required: false }
  ]
})
ns.register({
  name: 'message-delete',
  compact: false,
  fields: [
    { name: 'id', type: 'string', required: true },
    { name: 'timestamp', type: 'uint', required: true }
  ]
})
ns.register({
  name: 'message-react',
  compact: false,
  fields: [
    { name: 'id', type: 'string', required: true },
    { name: 'emoji', type: 'string', required: true },
    { name: 'on', type: 'bool', required: true }
  ]
})
ns.register({
  name: 'message-pin',
  compact: false,
  fields: [
    { name: 'id', type: 'string', required: true },
    { name: 'on', type: 'bool', required: true },
    { name: 'timestamp', type: 'uint', required: true }
  ]
})
// which message an edit, delete, reaction or pin changed: what clients read to update a message
ns.register({
  name: 'message-change',
  compact: false,
  fields: [
    { name: 'seq', type: 'uint', required: true },
    { name: 'id', type: 'string', required: true }
  ]
})
ns.register({
  name: 'pin',
  compact: false,
  fields: [
    { name: 'seq', type: 'uint', required: true },
    { name: 'id', type: 'string', required: true },
    { name: 'by', type: 'fixed32', required: true },
    { name: 'timestamp', type: 'uint', required: true }
  ]
})
// ---- appended for files (issue 14) ----
// a member's blobs core in this room (one per writer, set once), for the blind peers to keep
ns.register({
  name: 'blobs-core',
  compact: false,
  fields: [{ name: 'key', type: 'fixed32', required: true }]
})
// the room's messages that carry a file, in timeline order
ns.register({
  name: 'file-entry',
  compact: false,
  fields: [
    { name: 'seq', type: 'uint', required: true },
    { name: 'id', type: 'string', required: true }
  ]
})
// what a file message seals (never in the view in clear): where its bytes are and how to read them
ns.register({
  name: 'blob-id',
  compact: false,
  fields: [
    { name: 'blockOffset', type: 'uint', required: true },
    { name: 'blockLength', type: 'uint', required: true },
    { name: 'byteOffset', type: 'uint', required: true },
    { name: 'byteLength', type: 'uint', required: true }
  ]
})
ns.register({
  name: 'file-descriptor',
  compact: false,
  fields: [
    { name: 'name', type: 'string', required: true },
    { name: 'size', type: 'uint', required: true },
    { name: 'type', type: 'string', required: true },
    // BLAKE2b-256 of the plaintext
    { name: 'hash', type: 'fixed32', required: true },
    // the blobs core holding the bytes, and where in it
    { name: 'core', type: 'fixed32', required: true },
    { name: 'blob', type: '@roost/blob-id', required: true },
    // the file's own XChaCha20 key: the bytes are sealed under it, this record under the epoch's
    { name: 'key', type: 'fixed32', required: true },
    { name: 'width', type: 'uint', required: false },
    { name: 'height', type: 'uint', required: false },
    { name: 'thumbnail', type: 'buffer', required: false },
    { name: 'thumbnailType', type: 'string', required: false },
    // kept by members only: over the room's cap for its blind peers
    { name: 'direct', type: 'bool', required: false }
  ]
})
// issue 15: another device of the author's profile, which its binding proves
ns.register({
  name: 'device-add',
  compact: false,
  fields: [
    { name: 'writer', type: 'fixed32', required: true },
    { name: 'boxKey', type: 'fixed32', required: true },
    { name: 'binding', type: 'buffer', required: true },
    { name: 'timestamp', type: 'uint', required: false }
  ]
})
// issue 15: one of the author's own devices unlinked: its writers' later blocks are skipped
ns.register({
  name: 'device-revoke',
  compact: false,
  fields: [
    { name: 'device', type: 'fixed32', required: true },
    { name: 'timestamp', type: 'uint', required: false }
  ]
})
ns.register({
  name: 'revoked-device',
  compact: false,
  fields: [
    { name: 'profile', type: 'fixed32', required: true },
    { name: 'device', type: 'fixed32', required: true },
    { name: 'timestamp', type: 'uint', required: false }
  ]
})
Hyperschema.toDisk(schema)

const db = HyperdbBuilder.from(SCHEMA_DIR, DB_DIR)
const roomDb = db.namespace('roost')
roomDb.collections.register({ name: 'messages', schema: '@roost/stored-message', key: ['seq'] })
roomDb.indexes.register({
  name: 'messages-by-id',
  collection: '@roost/messages',
  unique: true,
  key: ['id']
})
roomDb.collections.register({ name: 'members', schema: '@roost/member', key: ['profile'] })
roomDb.collections.register({ name: 'writers', schema: '@roost/writer', key: ['key'] })
roomDb.indexes.register({
  name: 'writers-by-profile',
  collection: '@roost/writers',
  key: ['profile']
})
roomDb.collections.register({ name: 'invites', schema: '@roost/invite', key: ['id'] })
roomDb.collections.register({ name: 'info', schema: '@roost/info', key: ['key'] })
roomDb.collections.register({ name: 'counters', schema: '@roost/counter', key: ['name'] })
roomDb.collections.register({ name: 'mirrors', schema: '@roost/mirror', key: ['key'] })
roomDb.collections.register({ name: 'epochs', schema: '@roost/epoch', key: ['id'] })
roomDb.indexes.register({
  name: 'epochs-by-index',
  collection: '@roost/epochs',
  unique: true,
  key: ['index']
})
roomDb.collections.register({
  name: 'epoch-boxes',
  schema: '@roost/epoch-box',
  key: ['writer', 'epoch']
})
roomDb.indexes.register({
  name: 'epoch-boxes-by-epoch',
  collection: '@roost/epoch-boxes',
  key: ['epoch']
})
roomDb.collections.register({
  name: 'roster-changes',
  schema: '@roost/roster-change',
  key: ['position', 'seq']
})
roomDb.collections.register({
  name: 'message-changes',
  schema: '@roost/message-change',
  key: ['seq']
})
roomDb.collections.register({ name: 'pins', schema: '@roost/pin', key: ['seq'] })
roomDb.collections.register({ name: 'files', schema: '@roost/file-entry', key: ['seq'] })
roomDb.collections.register({
  name: 'revoked-devices',
  schema: '@roost/revoked-device',
  key: ['profile', 'device']
})
HyperdbBuilder.toDisk(db)

const dispatch = Hyperdispatch.from(SCHEMA_DIR, DISPATCH_DIR)
const ops = dispatch.namespace('roost')
ops.register({ name: 'room-info', requestType: '@roost/room-info' })
ops.register({ name: 'member-add', requestType: '@roost/member-add' })
ops.register({ name: 'member-remove', requestType: '@roost/member-remove' })
ops.register({ name: 'role-set', requestType: '@roost/role-set' })
ops.register({ name: 'profile-update', requestType: '@roost/profile-update' })
ops.register({ name: 'message', requestType: '@roost/message' })
ops.register({ name: 'invite-add', requestType: '@roost/invite-add' })
ops.register({ name: 'invite-revoke', requestType: '@roost/invite-revoke' })
ops.register({ name: 'mirror-add', requestType: '@roost/mirror-add' })
ops.register({ name: 'mirror-remove', requestType: '@roost/mirror-remove' })
ops.register({ name: 'member-leave', requestType: '@roost/member-leave' })
ops.register({ name: 'epoch-keys', requestType: '@roost/epoch-keys' })
ops.register({ name: 'indexer-fork', requestType: '@roost/indexer-fork' })
ops.register({ name: 'message-edit', requestType: '@roost/message-edit' })
ops.register({ name: 'message-delete', requestType: '@roost/message-delete' })
ops.register({ name: 'message-react', requestType: '@roost/message-react' })
ops.register({ name: 'message-pin', requestType: '@roost/message-pin' })
ops.register({ name: 'blobs-core', requestType: '@roost/blobs-core' })
ops.register({ name: 'device-add', requestType: '@roost/device-add' })
ops.register({ name: 'device-revoke', requestType: '@roost/device-revoke' })
Hyperdispatch.toDisk(dispatch)
