import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { Token } from '@nestify/model';
import { ListQuery } from '../common/list/list-query';
import { applyListQuery, ColumnMap, fetchPage } from '../common/list/list-query-builder';

const COLUMNS: ColumnMap = {
  id: { expression: 'token.id' },
  username: { expression: 'owner.username' },
  expiration_date: { expression: 'token.expirationDate' },
  last_used: { expression: 'token.lastUsed' },
  description: { expression: 'token.description' },
};

/** The columns of a token at creation. */
export interface NewToken {
  id: string;
  secretHash: string;
  description: string | null;
  expirationDate: Date | null;
  userFk: number;
}

/** Every query on API tokens; rows come with their owner (`token.user`). */
@Injectable()
export class TokensRepository {
  constructor(@InjectRepository(Token) private readonly tokens: Repository<Token>) {}

  private withOwner(): SelectQueryBuilder<Token> {
    return this.tokens.createQueryBuilder('token').innerJoinAndSelect('token.user', 'owner');
  }

  async insert(values: NewToken): Promise<Token> {
    await this.tokens.insert(values);
    const token = await this.findWithOwner(values.id);
    if (!token) throw new Error(`token ${values.id} vanished after insert`);
    return token;
  }

  async idTaken(id: string): Promise<boolean> {
    return this.tokens.existsBy({ id });
  }

  findWithOwner(id: string): Promise<Token | null> {
    return this.withOwner().where('token.id = :id', { id }).getOne();
  }

  /** A page of tokens, only those of `ownerId` unless it is null. */
  async list(query: ListQuery, ownerId: number | null): Promise<{ items: Token[]; total: number }> {
    const qb = this.withOwner();
    if (ownerId !== null) qb.andWhere('token.userFk = :ownerId', { ownerId });
    applyListQuery(qb, query, COLUMNS);
    // Tokens have no creation time: their id is the only stable order.
    if (!query.sort.length) qb.orderBy('token.id', 'ASC');
    return fetchPage(qb, query);
  }

  async touch(id: string): Promise<void> {
    await this.tokens.update({ id }, { lastUsed: () => 'now()' });
  }

  async delete(id: string): Promise<void> {
    await this.tokens.delete({ id });
  }

  /** Drops a user's tokens whose expiration date has passed. */
  async purgeExpired(userId: number): Promise<void> {
    await this.tokens
      .createQueryBuilder()
      .delete()
      .where('_user_fk = :userId AND expiration_date <= now()', { userId })
      .execute();
  }
}
