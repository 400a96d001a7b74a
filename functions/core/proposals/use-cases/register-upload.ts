import type { Programme } from '../../programmes/programme';
import type { ObjectStore } from '../../../ports/object-store';
import type { ProposalStore } from '../../../ports/proposal-store';
import type { UploadGrants } from '../../../ports/upload-grants';
import { maskNumbers } from '../../privacy/mask';
import type { Proposal } from '../proposal';
import { proposalIdFor, uploadOf, type ObjectCreatedEvent } from '../source-event';
import { uploaderOf } from '../upload-grant';
import { checkUploadKey, splitUploadKey, type VillageInfo } from '../upload-key';

export type RegisterUploadDeps = {
  proposals: ProposalStore;
  uploads: ObjectStore;
  grants: UploadGrants;
  findProgramme: (id: string) => Programme | undefined;
  findVillage: (code: string) => VillageInfo | undefined;
  now: () => Date;
};

export type Registered = { proposalId: string; accepted: boolean; duplicate: boolean; status: Proposal['status'] };

/** Execution names are the last part of an execution ARN. */
const executionName = (executionArn?: string) => executionArn?.split(':').pop();

/**
 * S3 object metadata older scripts set to say who to answer. Anyone can write it, so it is recorded
 * as a claim and never mailed: answers go to the signed-in uploader, or to Dinas Sosial.
 */
const OPERATOR_EMAIL_METADATA = 'operator-email';

/**
 * The first stage: every upload under proposals/ becomes a recorded proposal, also when it is in
 * the wrong place or not a spreadsheet (then INVALID, with the reason), so nothing disappears.
 * Idempotent: a second delivery of the same event finds the proposal the first one made.
 */
export async function registerUpload(
  deps: RegisterUploadDeps,
  event: ObjectCreatedEvent,
  executionArn?: string,
): Promise<Registered> {
  const upload = uploadOf(event);
  const id = proposalIdFor(upload);
  const existing = await deps.proposals.get(id);
  if (existing) {
    // A re-drive names the execution it starts; any other execution for this upload is a repeated delivery.
    const duplicate =
      existing.activeExecution !== undefined && existing.activeExecution !== executionName(executionArn);
    return {
      proposalId: id,
      accepted: !duplicate && existing.status !== 'INVALID',
      duplicate,
      status: existing.status,
    };
  }

  const head = await findUpload(deps.uploads, upload);
  const { uploader, grant } = await uploaderOf(deps.grants, {
    key: upload.key,
    metadata: head?.metadata,
    requester: event.detail.requester,
  });
  const claimedEmail = head?.metadata[OPERATOR_EMAIL_METADATA];
  const check = checkUploadKey(upload.key, deps);
  const now = deps.now().toISOString();
  const parts = check.ok ? check.parts : { ...splitUploadKey(upload.key), ...check.parts };
  const proposal: Proposal = {
    id,
    status: check.ok ? 'RECEIVED' : 'INVALID',
    programmeId: parts.programmeId ?? '',
    programmeVersion: check.ok ? check.programme.version : undefined,
    villageCode: parts.villageCode ?? '',
    fileName: parts.fileName ?? upload.key.split('/').pop() ?? upload.key,
    upload,
    uploadKey: upload.key,
    operatorEmail: grant?.email,
    uploadedBy: uploader,
    reason: check.ok ? undefined : check.reason,
    enrolled: 0,
    rejectedByBpjs: 0,
    notified: [],
    redrives: 0,
    sourceEvent: event,
    executionArn,
    activeExecution: executionName(executionArn),
    createdAt: now,
    updatedAt: now,
  };
  const outcome = await deps.proposals.create(proposal, {
    action: check.ok ? 'UPLOAD_RECEIVED' : 'UPLOAD_REFUSED',
    actor: 'system:register-upload',
    execution: executionArn,
    to: proposal.status,
    details: {
      upload,
      uploadedBy: uploader,
      ...(claimedEmail && claimedEmail !== grant?.email
        ? { unverifiedOperatorEmail: maskNumbers(claimedEmail.slice(0, 200)) }
        : {}),
      ...(check.ok ? {} : { reason: check.reason }),
      missing: head === undefined || undefined,
    },
  });
  if (outcome === 'exists') {
    // Another delivery of the same event won the race; report what it recorded.
    const winner = await deps.proposals.get(id);
    return { proposalId: id, accepted: false, duplicate: true, status: winner?.status ?? proposal.status };
  }
  return { proposalId: id, accepted: check.ok, duplicate: false, status: proposal.status };
}

/**
 * S3 notifications carry keys URL-encoded ("usulan+mei.xlsx" for "usulan mei.xlsx"); if the key
 * as delivered names no object but its decoded form does, the decoded key is the upload's.
 */
async function findUpload(uploads: ObjectStore, upload: Proposal['upload']) {
  const head = await uploads.head({ key: upload.key, versionId: upload.versionId });
  if (head || !/[+%]/.test(upload.key)) return head;
  let decoded: string;
  try {
    decoded = decodeURIComponent(upload.key.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
  const found = await uploads.head({ key: decoded, versionId: upload.versionId });
  if (found) upload.key = decoded;
  return found;
}
