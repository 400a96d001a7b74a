import type { CfnResource, CfnTemplate } from './template';

/**
 * Resolves CloudFormation intrinsics in the synthesized templates to the names the local stack
 * gives each resource, the way CloudFormation resolves them to physical ids in AWS.
 */
export type StackTemplate = { stackName: string; template: CfnTemplate };

export class LocalResources {
  readonly account = '000000000000';
  private readonly attributes = new Map<string, string>();
  private readonly refs = new Map<string, string>();

  constructor(
    readonly stacks: StackTemplate[],
    readonly region: string,
  ) {}

  /** Overrides what GetAtt returns for one resource attribute (e.g. the HTTP API's local URL). */
  setAttribute(logicalId: string, attribute: string, value: string) {
    this.attributes.set(`${logicalId}.${attribute}`, value);
  }

  /** Overrides what Ref returns for one resource: ids a local service generates (a user pool's id). */
  setRef(logicalId: string, value: string) {
    this.refs.set(logicalId, value);
  }

  resourcesOfType(type: string): { stack: StackTemplate; logicalId: string; resource: CfnResource }[] {
    return this.stacks.flatMap((stack) =>
      Object.entries(stack.template.Resources)
        .filter(([, r]) => r.Type === type)
        .map(([logicalId, resource]) => ({ stack, logicalId, resource })),
    );
  }

  find(logicalId: string): { stack: StackTemplate; resource: CfnResource } | undefined {
    for (const stack of this.stacks) {
      const resource = stack.template.Resources[logicalId];
      if (resource) return { stack, resource };
    }
    return undefined;
  }

  /** The local physical id, as `Ref` gives it. */
  ref(logicalId: string): string {
    const override = this.refs.get(logicalId);
    if (override !== undefined) return override;
    const found = this.find(logicalId);
    if (!found) throw new Error(`Unknown resource ${logicalId}`);
    const { resource } = found;
    switch (resource.Type) {
      case 'AWS::S3::Bucket':
        return (resource.Properties?.BucketName as string | undefined) ?? logicalId.toLowerCase().slice(0, 63);
      case 'AWS::DynamoDB::GlobalTable':
      case 'AWS::DynamoDB::Table':
        return (resource.Properties?.TableName as string | undefined) ?? logicalId;
      case 'AWS::StepFunctions::StateMachine':
        return this.stateMachineArn(logicalId);
      case 'AWS::Lambda::Function':
        return logicalId;
      // Named by their Name; CloudFormation makes one up when the template gives none.
      case 'AWS::Scheduler::Schedule':
      case 'AWS::Scheduler::ScheduleGroup':
      case 'AWS::Events::EventBus':
        return (resource.Properties?.Name as string | undefined) ?? logicalId;
      default:
        return logicalId;
    }
  }

  stateMachineArn(logicalId: string): string {
    const name = (this.find(logicalId)?.resource.Properties?.StateMachineName as string | undefined) ?? logicalId;
    return `arn:aws:states:${this.region}:${this.account}:stateMachine:${name}`;
  }

  getAtt(logicalId: string, attribute: string): string {
    const override = this.attributes.get(`${logicalId}.${attribute}`);
    if (override !== undefined) return override;
    const found = this.find(logicalId);
    if (!found) throw new Error(`Unknown resource ${logicalId}`);
    const type = found.resource.Type;
    if (attribute === 'Arn') {
      if (type === 'AWS::Lambda::Function')
        return `arn:aws:lambda:${this.region}:${this.account}:function:${logicalId}`;
      if (type.startsWith('AWS::DynamoDB::'))
        return `arn:aws:dynamodb:${this.region}:${this.account}:table/${this.ref(logicalId)}`;
      if (type === 'AWS::S3::Bucket') return `arn:aws:s3:::${this.ref(logicalId)}`;
      if (type === 'AWS::IAM::Role') return `arn:aws:iam::${this.account}:role/${logicalId}`;
      if (type === 'AWS::Logs::LogGroup') return `arn:aws:logs:${this.region}:${this.account}:log-group:${logicalId}`;
      if (type === 'AWS::StepFunctions::StateMachine') return this.stateMachineArn(logicalId);
      if (type === 'AWS::Events::EventBus') {
        return `arn:aws:events:${this.region}:${this.account}:event-bus/${this.ref(logicalId)}`;
      }
      if (type === 'AWS::Scheduler::Schedule') {
        const group = this.resolve(found.stack, found.resource.Properties?.GroupName ?? 'default') as string;
        return `arn:aws:scheduler:${this.region}:${this.account}:schedule/${group}/${this.ref(logicalId)}`;
      }
      return `arn:aws:local:${this.region}:${this.account}:${logicalId}`;
    }
    return `${logicalId}.${attribute}`;
  }

  resolve(stack: StackTemplate, value: unknown): any {
    if (Array.isArray(value)) return value.map((v) => this.resolve(stack, v));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [[fn, arg]] = entries as [[string, any]];
      switch (fn) {
        case 'Ref':
          return this.pseudo(stack, arg) ?? this.ref(arg);
        case 'Fn::GetAtt':
          return this.getAtt(arg[0], arg[1]);
        case 'Fn::Join':
          return (this.resolve(stack, arg[1]) as unknown[]).join(arg[0]);
        case 'Fn::Select':
          return (this.resolve(stack, arg[1]) as unknown[])[Number(this.resolve(stack, arg[0]))];
        case 'Fn::Split':
          return String(this.resolve(stack, arg[1])).split(arg[0]);
        case 'Fn::Sub':
          return this.sub(stack, arg);
        case 'Fn::ImportValue':
          return this.importValue(String(this.resolve(stack, arg)));
        default:
          break;
      }
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(stack, v)]));
  }

  /** The value of a stack output, by output name (what `aws cloudformation describe-stacks` shows). */
  output(name: string): string | undefined {
    for (const stack of this.stacks) {
      const out = stack.template.Outputs?.[name];
      if (out) return this.resolve(stack, out.Value);
    }
    return undefined;
  }

  private importValue(name: string): unknown {
    for (const stack of this.stacks) {
      for (const out of Object.values(stack.template.Outputs ?? {})) {
        if (out.Export && this.resolve(stack, out.Export.Name) === name) return this.resolve(stack, out.Value);
      }
    }
    throw new Error(`No stack exports ${name}`);
  }

  private pseudo(stack: StackTemplate, name: string): string | undefined {
    return (
      {
        'AWS::Region': this.region,
        'AWS::AccountId': this.account,
        'AWS::Partition': 'aws',
        'AWS::URLSuffix': 'amazonaws.com',
        'AWS::StackName': stack.stackName,
        'AWS::NoValue': undefined,
      } as Record<string, string | undefined>
    )[name];
  }

  private sub(stack: StackTemplate, arg: string | [string, Record<string, unknown>]): string {
    const [text, vars] = typeof arg === 'string' ? [arg, {}] : arg;
    return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      if (name in vars) return String(this.resolve(stack, vars[name]));
      const pseudo = this.pseudo(stack, name);
      if (pseudo !== undefined) return pseudo;
      const [id, attr] = name.split('.');
      return attr ? this.getAtt(id!, attr) : this.ref(id!);
    });
  }
}
