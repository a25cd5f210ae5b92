#pragma once

#include "category.h"

namespace lundi {

// The categories a user has ticked in the legend; the others are dimmed in every view.
class CategorySet
{
  public:
    CategorySet() = default; // all of them
    static CategorySet all() { return CategorySet(0xff); }
    static CategorySet only(Category category) { return CategorySet(bit(category)); }

    bool contains(Category category) const { return m_bits & bit(category); }
    bool isAll() const { return m_bits == 0xff; }
    void set(Category category, bool on)
    {
        m_bits = on ? (m_bits | bit(category)) : (m_bits & ~bit(category));
    }
    friend bool operator==(CategorySet a, CategorySet b) { return a.m_bits == b.m_bits; }

  private:
    explicit CategorySet(quint8 bits) : m_bits(bits) {}
    static quint8 bit(Category category) { return quint8(1u << unsigned(category)); }

    quint8 m_bits = 0xff;
};

} // namespace lundi
